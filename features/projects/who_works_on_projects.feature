@allure.label.epic:Projects
Feature: Who works on a project
  The studio admins run the work of every agency; an agency's admins and producers run their own
  agency's projects; the agency's guests with an account follow its milestones. To everyone else
  (another agency's people, their admin included, a suspended producer, a visitor) the project,
  its milestones and its tasks do not exist: the portal answers them exactly as it answers a
  question about something that never existed, and changes nothing, also when they reach for it
  from inside their own organisation's projects.

  Background:
    Given Brightside Agency has the project "Harbour Lights" with the milestone "Shoot" and Theo's task "Book the drone"

  Rule: Studio admins and the organisation's admins and producers do the work; its guests read the milestones; to anyone else it does not exist

    @allure.severity:critical
    Scenario Outline: <person> may <action>
      Given <person> is signed in
      When <person> tries to <action>
      Then the portal lets <person> do it

      Examples: A studio admin
        | person | action                   |
        | Ada    | see the milestones       |
        | Ada    | add a milestone          |
        | Ada    | rename the milestone     |
        | Ada    | reorder the milestones   |
        | Ada    | delete the milestone     |
        | Ada    | see the tasks            |
        | Ada    | add a task               |
        | Ada    | change the task          |
        | Ada    | complete the task        |
        | Ada    | delete the task          |

      Examples: The agency's admin
        | person | action                   |
        | Bea    | see the milestones       |
        | Bea    | add a milestone          |
        | Bea    | rename the milestone     |
        | Bea    | reorder the milestones   |
        | Bea    | delete the milestone     |
        | Bea    | see the tasks            |
        | Bea    | add a task               |
        | Bea    | change the task          |
        | Bea    | complete the task        |
        | Bea    | delete the task          |

      Examples: Another producer of the agency
        | person | action                   |
        | Pia    | see the milestones       |
        | Pia    | add a milestone          |
        | Pia    | rename the milestone     |
        | Pia    | reorder the milestones   |
        | Pia    | delete the milestone     |
        | Pia    | see the tasks            |
        | Pia    | add a task               |
        | Pia    | change the task          |
        | Pia    | complete the task        |
        | Pia    | delete the task          |

      Examples: A guest of the agency with an account
        | person | action                   |
        | Gina   | see the milestones       |

    @negative @security @allure.severity:critical
    Scenario Outline: <person> cannot <action>, and finds nothing there
      Given <person> is signed in
      When <person> tries to <action>
      Then the portal answers <person> as if the project did not exist
      And Theo finds the project's work as it was

      Examples: A guest of the agency with an account
        | person | action                   |
        | Gina   | add a milestone          |
        | Gina   | rename the milestone     |
        | Gina   | reorder the milestones   |
        | Gina   | delete the milestone     |
        | Gina   | see the tasks            |
        | Gina   | add a task               |
        | Gina   | change the task          |
        | Gina   | complete the task        |
        | Gina   | delete the task          |

      Examples: A producer at another agency
        | person  | action                   |
        | Mallory | see the milestones       |
        | Mallory | add a milestone          |
        | Mallory | rename the milestone     |
        | Mallory | reorder the milestones   |
        | Mallory | delete the milestone     |
        | Mallory | see the tasks            |
        | Mallory | add a task               |
        | Mallory | change the task          |
        | Mallory | complete the task        |
        | Mallory | delete the task          |

      Examples: Another agency's admin
        | person | action                   |
        | Lena   | see the milestones       |
        | Lena   | add a milestone          |
        | Lena   | rename the milestone     |
        | Lena   | reorder the milestones   |
        | Lena   | delete the milestone     |
        | Lena   | see the tasks            |
        | Lena   | add a task               |
        | Lena   | change the task          |
        | Lena   | complete the task        |
        | Lena   | delete the task          |

      Examples: A suspended producer of the agency, with the session he had
        | person | action                   |
        | Sam    | see the milestones       |
        | Sam    | add a milestone          |
        | Sam    | change the task          |
        | Sam    | delete the task          |

    @negative @security
    Scenario Outline: Uma, who is not signed in, cannot <action>
      When Uma tries to <action>
      Then the portal answers Uma as if the project did not exist
      And Theo finds the project's work as it was

      Examples:
        | action                   |
        | see the milestones       |
        | add a milestone          |
        | reorder the milestones   |
        | see the tasks            |
        | add a task               |
        | change the task          |
        | delete the task          |

    @negative @security
    Scenario Outline: Mallory, working in her own agency's project, cannot <action>
      Given Lumen Creative has the project "Night Shift" with the milestone "Dailies"
      And Mallory is signed in
      When Mallory tries to <action>
      Then the portal refuses Mallory exactly as for something that does not exist
      And Theo finds the project's work as it was

      Examples:
        | action                                                     |
        | file a task of her project under Brightside's milestone    |
        | give a task of her project to Theo                         |
        | put Brightside's milestone in her project's order          |
        | move Brightside's task under her project's milestone       |
