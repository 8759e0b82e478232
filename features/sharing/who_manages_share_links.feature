@allure.label.epic:Sharing
Feature: Who manages a cut's share links
  Only the admins and producers of the organisation that owns a cut, and the studio admins, create,
  list, rotate and revoke its share links. To anyone else (a producer or admin at another agency, a
  guest client with a portal account, someone who is not signed in) the cut and its links do not exist: the portal
  answers them exactly as it answers a question about a cut that never existed, and changes
  nothing.

  Background:
    Given Brightside Agency has the cut "Harbour Lights", version 3
    And Theo has shared the cut with Gina

  Rule: Only admins and producers of the cut's organisation, and the studio admins, manage its links; anyone else finds nothing there

    Scenario: Ada, at the studio, sees the links to Brightside's cut
      Given Ada is signed in
      When Ada tries to see the cut's links
      Then Ada still sees just the one live link to the cut

    @negative @security @allure.severity:critical
    Scenario Outline: <person>, signed in, cannot <action>
      Given <person> is signed in
      When <person> tries to <action>
      Then the portal answers <person> as if the cut did not exist
      And Theo still sees just the one live link to the cut

      Examples: A producer at another agency
        | person  | action                |
        | Mallory | see the cut's links   |
        | Mallory | add a link to the cut |
        | Mallory | rotate the cut's link |
        | Mallory | revoke the cut's link |

      Examples: An admin at another agency
        | person | action                |
        | Lena   | see the cut's links   |
        | Lena   | add a link to the cut |
        | Lena   | rotate the cut's link |
        | Lena   | revoke the cut's link |

      Examples: A guest client with a portal account
        | person | action                |
        | Gina   | see the cut's links   |
        | Gina   | add a link to the cut |
        | Gina   | rotate the cut's link |
        | Gina   | revoke the cut's link |

    @negative @security
    Scenario Outline: Uma, who is not signed in, cannot <action>
      When Uma tries to <action>
      Then the portal answers Uma as if the cut did not exist
      And Theo still sees just the one live link to the cut

      Examples:
        | action                |
        | see the cut's links   |
        | add a link to the cut |
        | rotate the cut's link |
        | revoke the cut's link |
