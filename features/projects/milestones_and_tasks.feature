@allure.label.epic:Projects
Feature: Milestones and tasks
  A project's work is planned in milestones, in order, and done in tasks. A task belongs to one
  project and, if it says so, to one of that project's milestones; it is given to someone who can
  see the project's tasks. The studio admins and the admins and producers of the organisation that
  owns the project plan and do the work; the organisation's guests with an account follow the
  milestones.

  Background:
    Given Brightside Agency has the project "Harbour Lights"

  Rule: A project has ordered milestones, each with a title, a due date and a status, that its people create, edit, reorder and complete

    @allure.severity:critical
    Scenario: Theo plans the project in milestones, each added at the end
      Given the project has the milestones "Script, Shoot, Edit"
      When Theo adds the milestone "Grade", due in 14 days
      Then Gina sees the milestones in the order "Script, Shoot, Edit, Grade"

    Scenario Outline: Bea puts the milestones in a new order: <order>
      Given the project has the milestones "Script, Shoot, Edit"
      When Bea puts the milestones in the order "<order>"
      Then Gina sees the milestones in the order "<order>"

      Examples:
        | order                |
        | Edit, Shoot, Script  |
        | Script, Edit, Shoot  |

    Scenario: Ada, at the studio, completes a milestone of Brightside's project
      Given the project has the milestone "Shoot", in progress
      When Ada completes the milestone "Shoot"
      Then Theo sees the milestone "Shoot" as done

    @negative
    Scenario Outline: A milestone <problem> is refused
      When Theo adds a milestone <problem>
      Then the portal refuses it, naming the field "<field>"
      And the project has no milestones

      Examples:
        | problem                          | field  |
        | without a title                  | title  |
        | with the status "finished"       | status |
        | with a title of 201 characters   | title  |
        | due on "the 31st of February"    | due_on |

  Rule: A task belongs to its project and perhaps to one of that project's milestones, and goes to someone who can see the project's tasks

    @allure.severity:critical
    Scenario: Theo gives Pia a task under a milestone
      Given the project has the milestone "Shoot"
      When Theo adds the task "Book the drone" for Pia under "Shoot", due in 3 days
      Then Pia sees the task "Book the drone" under "Shoot", assigned to her and open

    Scenario Outline: Theo lists the project's tasks <filter>
      Given the project has these tasks:
        | task                | assignee | due in hours | status |
        | Book the drone      | Pia      | 72           | open   |
        | Scout the harbour   | Theo     | 24           | open   |
        | Write the treatment | Theo     | -24          | done   |
        | Order the tapes     | Pia      | 200          | open   |
      When Theo lists the project's tasks <filter>
      Then he sees the tasks "<tasks>", in that order

      Examples:
        | filter                | tasks                                                  |
        | all                   | Write the treatment, Scout the harbour, Book the drone, Order the tapes |
        | assigned to Pia       | Book the drone, Order the tapes                        |
        | that are open         | Scout the harbour, Book the drone, Order the tapes     |
        | that are done         | Write the treatment                                    |
        | due within 4 days     | Write the treatment, Scout the harbour, Book the drone |

    Scenario: A task is completed, and reopened
      Given Theo has the task "Book the drone", completed
      When Pia reopens the task
      Then Theo sees the task "Book the drone" open again

    @negative @security
    Scenario Outline: A task cannot go to <person>, who cannot see the project's tasks
      When Theo tries to give the task "Book the drone" to <person>
      Then the portal refuses it, naming the field "assignee_id", exactly as for a person who does not exist
      And the project has no tasks

      Examples:
        | person  |
        | Gina    |
        | Sam     |
        | Mallory |
        | Lena    |

    @negative @security
    Scenario: A task cannot name a milestone of another project, and the database itself refuses it
      Given Brightside Agency also has the project "Tidewater" with the milestone "Launch"
      When Theo tries to add the task "Book the drone" under "Launch" to "Harbour Lights"
      Then the portal refuses it, naming the field "milestone_id", exactly as for a milestone that does not exist
      And the database refuses a task of "Harbour Lights" under "Launch" as well
